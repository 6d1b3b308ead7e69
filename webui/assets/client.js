// Runs once in the app's own document (st.html with JavaScript, see webui/a11y.py).
// What it does for every page: page language zh-CN; Streamlit's own English strings in
// Chinese (webui/data/ui_strings.toml); decorative icons hidden from screen readers; a
// polite live region for announcements; focus moved to the new page's heading after a
// page switch; the 长辈版 choice kept in a cookie; copy buttons.
(function () {
  if (window.civic) return;
  const civic = (window.civic = {exact: new Map(), patterns: [], queue: []});
  const ATTRS = ["aria-label", "title", "placeholder", "alt", "aria-roledescription", "aria-valuetext"];

  civic.configure = function (cfg) {
    if (cfg.strings) {
      civic.exact = new Map(Object.entries(cfg.strings.exact));
      civic.patterns = cfg.strings.patterns.map(([re, to]) => [new RegExp(re), to]);
    }
    if (cfg.elder !== undefined) {
      document.cookie = "civic_elder=" + (cfg.elder ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
      document.documentElement.classList.toggle("civic-elder", !!cfg.elder);
    }
    fixLang();
    translateTree(document.body);
  };

  function translateOnce(text) {
    if (civic.exact.has(text)) return civic.exact.get(text);
    for (const [re, to] of civic.patterns) {
      if (re.test(text)) return text.replace(re, to);
    }
    return null;
  }

  // The Chinese for an English string, or null. A pattern's result may hold another
  // English part (", selected"), so up to three passes.
  function translate(value) {
    const trimmed = value.trim();
    if (!trimmed || !/[A-Za-z]/.test(trimmed)) return null;
    let text = trimmed;
    for (let pass = 0; pass < 3 && /[A-Za-z]/.test(text); pass++) {
      const next = translateOnce(text);
      if (next === null) break;
      text = next;
    }
    return text === trimmed ? null : value.replace(trimmed, text);
  }

  function translateElement(el) {
    for (const name of ATTRS) {
      const value = el.getAttribute(name);
      if (value) {
        const to = translate(value);
        if (to !== null && to !== value) el.setAttribute(name, to);
      }
    }
    // Material icons are drawn from their English names ("forum"): decorative, never read out.
    if (el.matches('[data-testid="stIconMaterial"], span[role="img"][translate="no"]')) {
      el.setAttribute("aria-hidden", "true");
      el.removeAttribute("role");
      el.removeAttribute("aria-label");
    }
  }

  function translateText(node) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style, [translate="no"], [data-testid="stIconMaterial"], code, pre')) return;
    const to = translate(node.data);
    if (to !== null && to !== node.data) node.data = to;
  }

  function translateTree(root) {
    if (!root) return;
    if (root.nodeType === 3) return translateText(root);
    if (root.nodeType !== 1) return;
    translateElement(root);
    for (const el of root.querySelectorAll("*")) translateElement(el);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) translateText(n);
  }

  function fixLang() {
    if (document.documentElement.lang !== "zh-CN") document.documentElement.lang = "zh-CN";
  }

  // -- announcements --------------------------------------------------------
  const live = document.createElement("div");
  live.id = "civic-live";
  live.className = "civic-sr-only";
  live.setAttribute("role", "status");
  live.setAttribute("aria-live", "polite");
  live.setAttribute("aria-atomic", "true");
  document.body.appendChild(live);

  civic.announce = function (text) {
    live.textContent = "";
    // A new text node a moment later: screen readers announce it even when it repeats.
    setTimeout(() => { live.textContent = text; }, 150);
  };

  // -- focus ------------------------------------------------------------------
  function idle() {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === "notRunning";
  }

  function focusNow(el) {
    if (!el.matches("a, button, input, textarea, select, summary, [tabindex]")) el.setAttribute("tabindex", "-1");
    el.focus({preventScroll: false});
    el.scrollIntoView({block: "start", behavior: "instant"});
  }

  // Focus what ``selector`` finds once the run has finished drawing (waiting up to ``wait`` ms).
  // ``unlessMoved``: leave the focus alone if the person has since moved it somewhere else.
  civic.focus = function (selector, wait = 10000, unlessMoved = false) {
    const started = Date.now();
    const before = document.activeElement;
    (function attempt() {
      const active = document.activeElement;
      if (unlessMoved && active && active !== document.body && active !== before && active.isConnected) return;
      const el = document.querySelector(selector);
      if (el && idle()) return focusNow(el);
      if (Date.now() - started < wait) setTimeout(attempt, 100);
    })();
  };

  // After a page switch: the new page's main heading, so that a keyboard or screen-reader
  // user starts at its top. Waits for the new page's run to finish (it may first load the
  // search model), and leaves the focus alone if the person has moved it meanwhile.
  let path = location.pathname;
  function pageSwitched() {
    if (location.pathname === path) return;
    path = location.pathname;
    const before = document.activeElement;
    const menuButton = document.querySelector('[data-testid="stPopoverButton"]');
    const scriptState = () => document.querySelector('[data-testid="stApp"]')?.dataset.testScriptState;
    let sawRun = scriptState() !== "notRunning";
    const started = Date.now();
    (function attempt() {
      const state = scriptState();
      if (state && state !== "notRunning") sawRun = true;
      const active = document.activeElement;
      const moved = active && active.isConnected && ![document.body, before, menuButton].includes(active);
      if (moved && sawRun) return;
      const waited = Date.now() - started;
      const menuOpen = document.querySelector('[data-testid="stPopoverBody"]');
      if (state === "notRunning" && (sawRun || waited > 1000) && !menuOpen) {
        const heading = document.querySelector("main h1");
        if (heading) {
          focusNow(heading);
          // The closing menu hands focus back to its button a moment later: take it back once.
          setTimeout(() => { if (document.activeElement === menuButton) focusNow(heading); }, 400);
          return;
        }
      }
      if (waited < 120000) setTimeout(attempt, 20);
    })();
  }

  // -- the menu ----------------------------------------------------------------
  // A page chosen from the menu (a popover) closes it, as the menu of any site would.
  document.addEventListener("click", (event) => {
    const body = event.target.closest('[data-testid="stPopoverBody"]');
    if (!body || !event.target.closest("a")) return;
    setTimeout(() => body.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true})), 0);
  });

  // -- copy buttons -------------------------------------------------------------
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-civic-copy]");
    if (!button) return;
    const source = document.getElementById(button.dataset.civicCopy);
    const text = source ? (source.value || source.textContent).trim() : "";
    let copied = false;
    try {
      await navigator.clipboard.writeText(text);
      copied = true;
    } catch (e) {
      // Not a secure context (plain http on a LAN address): select the text and copy the old way;
      // the selection also stays, ready to copy by hand.
      if (source) {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        try { copied = document.execCommand("copy"); } catch (e2) { copied = false; }
      }
    }
    const done = copied ? button.dataset.civicCopied : button.dataset.civicFailed;
    const status = document.getElementById(button.dataset.civicCopy + "-status");
    if (status) status.textContent = done;
    civic.announce(done);
  });

  new MutationObserver((mutations) => {
    fixLang();
    for (const m of mutations) {
      if (m.type === "childList") m.addedNodes.forEach(translateTree);
      else if (m.type === "characterData") translateText(m.target);
      else if (m.type === "attributes") translateElement(m.target);
    }
    pageSwitched();
  }).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: [...ATTRS, "lang"],
  });
})();
