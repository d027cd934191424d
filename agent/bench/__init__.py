"""The grounding benchmark: ground truth read from a page's DOM (`dom_truth`), the bench that scores
the vision backend against it (`grounding`), its third-party page corpus (`corpus`), and its miss
classes and tables (`misses`, `report`). Measurement only: the engine never imports it.
"""
