/* svg.c: SVG elements as text (svg.h). */
#include "collbench/svg.h"

void cb_svg_open(FILE *f, double w, double h, bool standalone, const char *css)
{
	if (standalone)
		fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg%s width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n",
		standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "", w, h, w, h);
	fprintf(f, "<style>%s</style>\n", css);
	/* An opaque background: a viewer's dark theme must not eat the axes. */
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
}

void cb_svg_close(FILE *f)
{
	fprintf(f, "</svg>\n");
}

void cb_svg_esc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* XML 1.0 forbids most control characters, even escaped. */
			fputc(*p < 0x20 ? ' ' : *p, f);
		}
	}
}

void cb_svg_text(FILE *f, double x, double y, const char *cls, const char *anchor, bool rot,
		 const char *s)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" class=\"%s\" text-anchor=\"%s\"", x, y, cls, anchor);
	if (rot)
		fprintf(f, " transform=\"rotate(-90 %.1f %.1f)\"", x, y);
	fputc('>', f);
	cb_svg_esc(f, s);
	fputs("</text>\n", f);
}

void cb_svg_line(FILE *f, double x1, double y1, double x2, double y2, const char *cls)
{
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"%s\"/>\n", x1, y1,
		x2, y2, cls);
}

void cb_svg_rect(FILE *f, double x, double y, double w, double h, const char *style)
{
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" style=\"%s\"/>\n", x, y,
		w, h, style);
}
