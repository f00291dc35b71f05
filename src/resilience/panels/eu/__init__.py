"""The EU regional panel: NUTS-2 regions x years from Eurostat (``panel.EuPanel``)."""
