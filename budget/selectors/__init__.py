"""Reads of money figures, one module per audience: execution (the figures as of a date, shared),
public (approved figures, one bureau and the city), entry (the staff grid and board), history (the
trail). The dashboards read them from dashboards.selectors."""
