"""ipywidgets views: one module per stage, the shared page parts, and the mosaic editor."""
