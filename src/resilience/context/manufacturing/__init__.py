"""World manufacturing: one economy's share of the world's manufacturing value added and its rank."""
