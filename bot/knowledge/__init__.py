"""The knowledge base: YAML entries and tips drawn from the seed article, validated on load."""
