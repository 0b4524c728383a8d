"""Emergency routines staff browse in a hurry, with folder PDFs for the print shop."""
