"""Context analyses of the report: complex risk, the digital divide, trade diversion, value-chain position."""
