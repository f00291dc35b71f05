"""The Chinese province panel: NBS exports and the PKU index (``panel.ChinaPanel``)."""
