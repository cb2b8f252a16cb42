"""Synthetic corpus generator: realistic disclosure reports with known truth (issue 8).

``generate(out_dir, n, seed)`` writes standard-format reports (2019 trial and 2021 tables) as HTML,
flattened text, DOCX and PDF, and narrative prose reports (2008–2018, Simplified and Traditional),
each beside ``NAME.gold.json`` in the corpus gold format, with the faults it injected recorded there.
``ogi synth OUT_DIR --n N`` is the command-line front (:func:`synth_command`).
"""

from pipelines.synth.generate import generate, synth_command

__all__ = ["generate", "synth_command"]
