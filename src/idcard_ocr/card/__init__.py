"""The domain core: card fields, the ID number, regions, dates and nations. Standard library only."""
