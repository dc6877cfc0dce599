"""How the app is served and driven: local start, the room, Voilà's launch and the command line.

Nothing in the layers (content, model, store, analysis, exports, widgets) imports from here.
"""
