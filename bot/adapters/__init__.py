"""Platform adapters: each turns its platform's events into requests and renders replies."""
