"""Complex risk: geopolitical risk and uncertainty series (analysis), their config checks, the
continuous-shock model and the report section."""
