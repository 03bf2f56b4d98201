"""Placeholder: the Gradio UI is wired here (see README)."""
