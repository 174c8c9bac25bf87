"""The ``kgraph view`` page: its Bokeh document (:mod:`.document`), JavaScript (``page.js``) and CSS (``page.css``)."""
