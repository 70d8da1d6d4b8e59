"""Budget pages, one module per audience: public (citizens), entry (division staff), adjustments, history
(the trail). The dashboards and the council briefing are apps of their own."""
