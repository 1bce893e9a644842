"""From Results to what a reader sees: formatted numbers, table specs, figures."""
