"""Uplift metrics: curves, scores, intervals, scorers and displays."""
