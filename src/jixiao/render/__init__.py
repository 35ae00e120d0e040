"""Renderers: the model shown to people (terminal) or written for other programs."""
