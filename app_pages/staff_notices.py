"""通知管理 (staff): upload a city's notice, check the parse, publish or unpublish it, review its targets."""

import streamlit as st

from publishing import notices, provider, targets
from publishing.publish import publish, unpublish
from retrieval.corpus import load_corpus
from webui import notice_views as views
from webui.staff_auth import require_staff
from webui.text import escape_md

provider.install()
st.title("通知管理")
user = require_staff()
st.caption("上传本市的节能减排通知，检查解析结果后发布；发布后居民即可在问答中查询，"
           "再在“目标审核”里逐条核对从通知中提取的量化目标。")

NEW = "＋ 上传新通知"
listing = views.call(lambda s: [(n.id, n.city, n.title, n.status) for n in notices.list_notices(session=s)]) or []
labels = {nid: f"{city}：{title}（{notices.STATUS_LABELS[status]}）" for nid, city, title, status in listing}
options = [NEW, *labels]
if "notice_next" in st.session_state:  # set after an upload or a publication, before the widget exists
    st.session_state.staff_notice = st.session_state.pop("notice_next")
if st.session_state.get("staff_notice") not in options:
    st.session_state.staff_notice = NEW
if flash := st.session_state.pop("notice_flash", None):
    st.success(flash, icon=":material/check_circle:")
chosen = st.selectbox("通知", options, key="staff_notice", format_func=lambda o: labels.get(o, o))

if chosen == NEW:
    submitted = views.upload_form()
    if submitted:
        data, name, meta = submitted
        corpus = load_corpus()
        uploaded = views.call(lambda s: notices.upload(session=s, data=data, file_name=name, meta=meta,
                                                       corpus=corpus, user=user))
        if uploaded:
            st.session_state.notice_next = uploaded.notice.meta.id
            st.session_state.notice_flash = "文件已上传并解析，尚未发布。请检查下面的解析结果。"
            st.rerun()
    st.stop()

row = views.call(lambda s: notices.get_notice(session=s, notice_id=chosen))
if row is None:
    st.stop()
corpus = load_corpus()
st.subheader(escape_md(f"{row.city}：{row.title}"))
views.notice_facts(row)

TABS = ["解析预览", "目标审核", "审核记录"]
if "notice_tab_next" in st.session_state:
    st.session_state.notice_tab = st.session_state.pop("notice_tab_next")
view = st.radio("查看", TABS, horizontal=True, key="notice_tab")
if view == "解析预览":
    views.parse_preview(notices.preview(row=row, corpus=corpus))
    if row.status != "published":
        if st.button("发布到问答", type="primary", icon=":material/publish:"):
            bar = st.progress(0.0, text="正在建立检索索引……")

            def progress(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"正在建立检索索引（{done}/{total}）")

            try:
                embedded = publish(engine=views.default_engine(), notice_id=row.id, user=user, progress=progress)
            except ValueError as err:
                st.error(str(err), icon=":material/error:")
            except views.DatabaseUnavailable:
                st.error(views.UNAVAILABLE, icon=":material/error:")
            else:
                st.session_state.notice_next = row.id
                st.session_state.notice_flash = (f"已发布：{row.city}的通知现在可以在问答中查询（新建检索片段 {embedded} 段）。"
                                                 "请到“目标审核”核对提取的目标。")
                st.rerun()
        deleted = row.status == "draft" and st.button("删除这份草稿", icon=":material/delete:") and views.call(
            lambda s: notices.delete_draft(session=s, notice_id=row.id) or True)
        if deleted:
            st.session_state.notice_flash = "草稿已删除。"
            st.rerun()
    else:
        st.page_link("app_pages/ask.py", label="去问答页试一试", icon=":material/forum:",
                     query_params={"city": row.city})
        with st.expander("撤下这份通知"):
            st.caption("撤下后居民的问答、通知原文和目标对比里都不再出现这份通知；文件和审核记录保留，可以再次发布。")
            sure = st.checkbox("我确认撤下")
            if st.button("撤下", disabled=not sure):
                try:
                    unpublish(engine=views.default_engine(), notice_id=row.id, user=user)
                except (ValueError, views.DatabaseUnavailable) as err:
                    st.error(str(err) if isinstance(err, ValueError) else views.UNAVAILABLE)
                else:
                    st.session_state.notice_next = row.id
                    st.session_state.notice_flash = "已撤下。"
                    st.rerun()

elif view == "目标审核":
    if row.status != "published":
        st.info("发布后，从通知中提取的量化目标会列在这里等待审核；审核确认的目标才会出现在“目标对比”和问答里。")
    else:
        rows = views.call(lambda s: targets.rows_for(session=s, notice_id=row.id)) or []
        pending = [r for r in rows if r.review == "pending"]
        st.markdown(f"共 {len(rows)} 行，待审核 {len(pending)} 行。确认或更正后立即显示在“目标对比”和问答中。")
        views.rows_table(rows)
        by_id = {r.id: r for r in rows}
        if rows:
            if "target_next" in st.session_state:
                st.session_state.target_row = st.session_state.pop("target_next")
            if st.session_state.get("target_row") not in by_id:
                st.session_state.target_row = (pending or rows)[0].id
            picked = by_id[st.selectbox("审核哪一行", list(by_id), key="target_row",
                                        format_func=lambda i: views.row_label(by_id[i]))]
            notice = corpus.notices.get(row.id)
            clause = notice.clause(picked.clause) if notice else None
            submitted = views.review_form(picked, clause.text if clause else "")
            if submitted:
                action, fields, note = submitted
                saved = views.call(lambda s: targets.review(session=s, row_id=picked.id, action=action, user=user,
                                                            corpus=corpus, changes=fields, note=note))
                if saved:
                    provider.install().refresh()
                    st.session_state.notice_tab_next = "目标审核"
                    rest = [r.id for r in pending if r.id != picked.id]
                    if rest:
                        st.session_state.target_next = rest[0]
                    st.session_state.notice_next = row.id
                    st.session_state.notice_flash = f"已保存：{views.row_label(saved)}"
                    st.rerun()
        with st.expander("添加规则漏掉的目标"):
            paths = [c.path for c in corpus.notices[row.id].clauses if c.paragraphs] if row.id in corpus.notices else []
            added = views.add_row_form(paths)
            if added:
                values, note = added
                saved = views.call(lambda s: targets.add_row(session=s, notice_id=row.id, values=values, user=user,
                                                             corpus=corpus, note=note))
                if saved:
                    provider.install().refresh()
                    st.session_state.notice_tab_next = "目标审核"
                    st.session_state.notice_next = row.id
                    st.session_state.notice_flash = "已添加。"
                    st.rerun()

else:
    views.events_list(views.call(lambda s: targets.events_for(session=s, notice_id=row.id)) or [])
