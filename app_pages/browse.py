"""Browse a notice: its table of contents, and one clause in the original script."""

import streamlit as st

from webui import hanzi, qa
from webui.text import escape_md

st.title("通知原文")
corpus = qa.corpus()
notices = list(corpus.notices.values())
ids = [n.meta.id for n in notices]

wanted = st.query_params.get("notice")
index = ids.index(wanted) if wanted in ids else 0
notice = st.selectbox(
    "选择通知", notices, index=index, format_func=lambda n: f"{n.meta.city}：{n.meta.title}",
)
meta = notice.meta
facts = [meta.province, meta.issuer, meta.date or "印发日期未注明", meta.doc_number or "无发文字号"]
st.caption(escape_md(" · ".join(facts)))
original = False
if hanzi.is_traditional(meta.id):
    st.caption("此通知原文为繁体字，这里转为简体显示（标点改为全角），文字与原文逐字对应。")
    original = st.toggle(hanzi.ORIGINAL_LABEL, key="browse_original")

clauses = [c for c in notice.clauses if c.paragraphs or c.level]
paths = [c.path for c in clauses]
wanted_clause = st.query_params.get("clause") if wanted == meta.id else None
default = paths.index(wanted_clause) if wanted_clause in paths else 0


def _label(clause) -> str:
    indent = "　" * max(clause.level - 1, 0)
    heading = "" if clause.heading == clause.path else f" {clause.heading}"
    return hanzi.shown(f"{indent}{clause.path}{heading}", meta.id, original=original)


clause = st.selectbox("目录", clauses, index=default, format_func=_label)
st.subheader(escape_md(_label(clause).strip()))
if clause.paragraphs:
    for para in clause.paragraphs:
        st.markdown(escape_md(hanzi.shown(para.text, meta.id, original=original)))
else:
    st.caption("本节为标题，内容见下级条款：")
    children = [c for c in clauses if c.path.startswith(clause.path) and c.path != clause.path]
    for child in children[:30]:
        st.markdown(escape_md(hanzi.shown(f"{child.path} {child.heading}", meta.id, original=original)))
if clause.departments:
    st.info("责任单位：" + "、".join(hanzi.shown(d, meta.id, original=original) for d in clause.departments))
st.page_link("app_pages/ask.py", label="就这条向问答提问", icon=":material/forum:", query_params={"city": meta.city})
