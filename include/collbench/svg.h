/* svg.h: the few SVG elements the figures need, written as text. A plotting
 * library would bring a runtime (Python, gnuplot) or a C dependency for
 * what is lines, rectangles and text here; README says more. */
#ifndef COLLBENCH_SVG_H
#define COLLBENCH_SVG_H

#include <stdbool.h>
#include <stdio.h>

/* standalone: an .svg file (XML declaration, namespace); else an element
 * inside an HTML page, where the namespace is implied and no URL appears. */
void cb_svg_open(FILE *f, double w, double h, bool standalone, const char *css);
void cb_svg_close(FILE *f);
/* Text escaped for XML (& < > " and control characters). */
void cb_svg_esc(FILE *f, const char *s);
/* <text> at x,y with a class and an anchor (start, middle, end); rot: rotated
 * by -90 degrees about x,y (a y-axis label). */
void cb_svg_text(FILE *f, double x, double y, const char *cls, const char *anchor, bool rot,
		 const char *s);
void cb_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls);
void cb_svg_rect(FILE *f, double x, double y, double w, double h, const char *style);
/* One point of a polyline's points attribute: 0.1 px is finer than a screen
 * and keeps a 50000-point figure small. */
static inline void cb_svg_pt(FILE *f, double x, double y)
{
	fprintf(f, "%.1f,%.1f ", x, y);
}

#endif
