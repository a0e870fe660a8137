"""See the package docstring of ebs_desktop for the layering."""
