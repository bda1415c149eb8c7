"""Running in production: the health and metrics endpoint, Prometheus metrics, supervision."""
