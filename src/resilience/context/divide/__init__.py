"""The digital divide: internet use and people offline by income group (analysis and checks)."""
