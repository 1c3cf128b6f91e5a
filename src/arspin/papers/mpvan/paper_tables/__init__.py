"""The MPVAN paper's Tables 1-3 (arspin.paper_tables): CSV + LaTeX, our numbers beside the
paper's."""
