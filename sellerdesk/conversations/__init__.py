"""Order messages, feedback and complaints against customers (R-NOTE-4, R-NOTE-5, R-NOTE-6)."""
