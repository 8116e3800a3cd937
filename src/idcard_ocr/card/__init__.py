"""The domain core: card fields, the ID number, regions, dates, nations, and interpreting what
was read of a card. Standard library only, plus rapidfuzz for edit distances and alignments."""
