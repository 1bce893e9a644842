"""The live preview (`nps-report preview`): the manuscript as a web page on the loopback
address, rebuilt in a long-lived process when the study changes, every generated number
an element that says where it comes from (provenance/). Nothing is written into the
study folder; the PDF and DOCX are written by the normal build when asked."""

from .run import PortInUse, preview

__all__ = ["PortInUse", "preview"]
