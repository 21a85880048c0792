"""onewindow: a one-stop government service platform for a development zone."""
