"""Renderers: one module per output style, each turning results into a document (no scoring here).

* :mod:`framing.render.text` -- plain text for the terminal: an article's score and evidence, a
  compare table, training metrics, predictions, evaluation figures, concordance lines (the text
  output of the CLI commands; the commands only parse their arguments and call these).
* :mod:`framing.render.html` -- self-contained HTML pages: one article with every match
  highlighted, or a corpus report (``framing report``, ``Score._repr_html_``).
"""
