"""Trade diversion: US goods imports by partner and China's share (analysis, config checks)."""
