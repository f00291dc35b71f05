"""Value-chain position: GVC participation from OECD TiVA (analysis, config checks) and the
Koopman-Wang-Wei decomposition of an ICIO table (kww)."""
