"""Fuzzy matching of questions to knowledge entries (rapidfuzz), knowing nothing of platforms."""
