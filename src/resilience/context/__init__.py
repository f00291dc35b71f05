"""Context analyses of the report (issue 4): complex risk, the digital divide, trade diversion, value-chain position."""
