"""Turn a deck's cards into drawn card faces: text fitting and the layout of each card kind."""
