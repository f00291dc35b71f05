"""The country panel: economies x years from UN AMA and WDI (``panel.CountriesPanel``)."""
