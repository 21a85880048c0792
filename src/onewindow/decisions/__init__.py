"""Versioned decision tables (决策表): instant approval (秒批秒办) of service items."""
