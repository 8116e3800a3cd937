"""The domain core: card fields, the ID number, regions, dates, nations. Standard library only."""
