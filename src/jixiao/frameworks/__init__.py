"""Indicator frameworks (评价指标体系) as data: YAML files, their loader and rules."""
