"""`ClickableHTML`: HTML the kernel hears clicks and keys on (the graph, the log lines).

A plain `ipywidgets.HTML` only shows: a click on it never reaches Python. This widget shows
HTML the same way and, with a few lines of JavaScript run by `anywidget` (in JupyterLab,
Notebook 7 and JupyterLite alike), tells the kernel two things:

- a click on something that can be *picked*: a box of a Graphviz picture (its key is
  ``node:<executor id>``, from the box's ``<title>``), an arrow (``edge:<tail>-><head>``), or
  any element with a ``data-pick`` attribute (a log line's ``line:12``);
- a key pressed while the widget has the focus, among its `hotkeys` (the run
  explorer listens to ← → and Enter).

Python answers by setting `marked`: the keys to highlight. The page only toggles a class on
those elements (``wfkit-marked``; ``wfkit-chosen`` too for the one named by its own key, a line
clicked), so a highlight costs no redraw, and an element whose ``data-marks`` attribute lists
one of them is marked too (every line of step 3 says ``data-marks="step:3"``). A marked log line
is scrolled into sight within its box (one with the class ``wfkit-scrolls``).

Where widgets cannot run (nbconvert, GitHub), the widget leaves its HTML as it is: a picture.
"""

from __future__ import annotations

from typing import Any, Callable

import anywidget
import traitlets

from .fallback import with_static_html

PickCallback = Callable[[str], None]
KeyCallback = Callable[[str], None]

# The page side: draw the HTML, mark what Python marks, send picks and keys back.
SCRIPT = """
const PICKABLE = "g.node, g.edge, [data-pick]";

function keyOf(element) {
  if (element.dataset && element.dataset.pick) return element.dataset.pick;
  const title = element.querySelector(":scope > title");
  if (!title) return "";
  return (element.classList.contains("node") ? "node:" : "edge:") + title.textContent;
}

function render({ model, el }) {
  el.classList.add("wfkit-clickable");
  const mark = () => {
    const marked = new Set(model.get("marked"));
    let first = null;
    for (const element of el.querySelectorAll(PICKABLE + ", [data-marks]")) {
      const tokens = [keyOf(element), ...(element.dataset.marks || "").split(" ")];
      const on = tokens.some((token) => token && marked.has(token));
      element.classList.toggle("wfkit-marked", on);
      element.classList.toggle("wfkit-chosen", marked.has(keyOf(element)));  // marked by its own key: clicked
      if (on && !first && element.dataset.pick) first = element;
    }
    // Scroll the box, not the page (the learner keeps their place in the notebook), once it is laid out.
    requestAnimationFrame(() => {
      const box = first && first.closest(".wfkit-scrolls");
      if (!box || !box.clientHeight) return;
      const below = first.getBoundingClientRect().top - box.getBoundingClientRect().top;
      if (below < 0 || below > box.clientHeight - first.offsetHeight) box.scrollTop += below - box.clientHeight / 3;
    });
  };
  const draw = () => { el.innerHTML = model.get("value"); mark(); };
  const listen = () => { el.tabIndex = model.get("hotkeys").length ? 0 : -1; };
  el.addEventListener("click", (event) => {
    const picked = event.target.closest(PICKABLE);
    if (picked && el.contains(picked)) {
      const key = keyOf(picked);
      if (key) model.send({ picked: key });
    }
  });
  el.addEventListener("keydown", (event) => {
    if (model.get("hotkeys").includes(event.key)) {
      event.preventDefault();  // an arrow would scroll the notebook as well
      event.stopPropagation();  // and JupyterLab's own shortcuts (Enter edits a cell) stay out of it
      model.send({ key: event.key });
    }
  });
  model.on("change:value", draw);
  model.on("change:marked", mark);
  model.on("change:hotkeys", listen);
  draw();
  listen();
}

export default { render };
"""

# What a mark looks like: a thick amber outline on a box, a thick amber arrow, a tinted line.
STYLE = """
.wfkit-clickable g.node, .wfkit-clickable g.edge, .wfkit-clickable [data-pick] { cursor: pointer; }
.wfkit-clickable g.node.wfkit-marked > path, .wfkit-clickable g.node.wfkit-marked > polygon,
.wfkit-clickable g.node.wfkit-marked > ellipse { stroke: #f59e0b; stroke-width: 4px; }
.wfkit-clickable g.edge.wfkit-marked > path { stroke: #f59e0b; stroke-width: 3px; }
.wfkit-clickable g.edge.wfkit-marked > polygon { stroke: #f59e0b; fill: #f59e0b; }
.wfkit-clickable [data-pick].wfkit-marked, .wfkit-clickable [data-marks].wfkit-marked { background: #fef3c7; }
.wfkit-clickable [data-pick].wfkit-chosen { background: #fde68a; box-shadow: inset 3px 0 #f59e0b; }
.wfkit-clickable:focus { outline: 2px solid #93c5fd; outline-offset: 2px; }
"""


class ClickableHTML(anywidget.AnyWidget):
    """HTML that reports clicks on its boxes, arrows and ``data-pick`` elements, and the
    `hotkeys` pressed while it has the focus (see the module docstring).

    >>> picture = ClickableHTML(value=svg)                           # doctest: +SKIP
    >>> picture.on_pick(lambda key: print("clicked", key))          # "node:writer"
    >>> picture.marked = ["node:writer", "edge:writer->reviewer"]   # highlighted on the page
    """

    _esm = SCRIPT
    _css = STYLE
    value = traitlets.Unicode("", help="the HTML shown").tag(sync=True)
    marked = traitlets.List(traitlets.Unicode(), help="the keys highlighted on the page").tag(sync=True)
    hotkeys = traitlets.List(traitlets.Unicode(), help="the keys (as the browser names them) sent to Python").tag(sync=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._pick_callbacks: list[PickCallback] = []
        self._key_callbacks: list[KeyCallback] = []
        self.on_msg(self._message_from_page)

    def on_pick(self, callback: PickCallback) -> None:
        """Call ``callback(key)`` when something pickable is clicked (``"node:writer"``)."""
        self._pick_callbacks.append(callback)

    def on_key(self, callback: KeyCallback) -> None:
        """Call ``callback(key)`` when one of `hotkeys` is pressed (``"ArrowRight"``)."""
        self._key_callbacks.append(callback)

    def pick(self, key: str) -> None:
        """Do what a click on the element with `key` does (tests and scripts click this way)."""
        for callback in list(self._pick_callbacks):
            callback(key)

    def press(self, key: str) -> None:
        """Do what pressing `key` on the focused widget does."""
        if key in self.hotkeys:
            for callback in list(self._key_callbacks):
                callback(key)

    def _message_from_page(self, widget: Any, content: Any, buffers: Any) -> None:
        if not isinstance(content, dict):
            return
        if isinstance(content.get("picked"), str):
            self.pick(content["picked"])
        elif isinstance(content.get("key"), str):
            self.press(content["key"])

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        bundle = super()._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        return with_static_html(data, self.value)
