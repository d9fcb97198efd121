"""Drawings of a simulation and its experiments (matplotlib, ipywidgets); each module imports what
it draws with, so import the one you need:

- :mod:`imagesim.views.draw`: ``draw(sim, focus=None, at=None)``, the layered picture of the
  indirection (upstream tags -> images <- stream tags <- workloads <- pods);
- :mod:`imagesim.views.timeline`: ``timeline(sim, "openshift/mongodb:3.2")``, a stream tag's
  history over simulated time;
- :mod:`imagesim.views.explorer`: ``explore(sim)``, the interactive explorer with a time slider;
- :mod:`imagesim.views.experiments`: plots of what-if experiment frames.
"""
