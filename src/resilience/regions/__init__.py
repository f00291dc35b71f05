"""Regional panels (issue 5): EU NUTS-2 regions (Eurostat) and Chinese provinces (NBS, PKU index)."""
