"""Layout checks shared by the browser tests.

Chromium lays boxes out in fractions of a pixel: a drawer that has slid fully in can
report x=0.00002 and width=390.00001 on a 390-pixel screen. What a person would call
"fits on the screen" is "within half a pixel", so every check against the viewport
goes through here.
"""

SUBPIXEL = 0.5


def fits_across(box, width):
    """The box is drawn between the left and right edges of a viewport `width` wide."""
    return box["x"] >= -SUBPIXEL and box["x"] + box["width"] <= width + SUBPIXEL


def no_sideways_scroll(page):
    """The page itself does not scroll sideways (its own containers may)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
