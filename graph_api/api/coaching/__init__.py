"""Coaching: the plan, influence paths and the explorer's account graph."""
