"""Turn planned outputs into pages with reportlab: the drawing side of the generators that draw exact geometry."""
