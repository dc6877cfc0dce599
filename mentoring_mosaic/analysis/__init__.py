"""Pure analysis: goal checks, managing-up drafts, mosaic metrics. No widgets here."""
