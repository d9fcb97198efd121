"""Drawings of a simulation and its experiments (matplotlib); each module imports what it draws with."""
