"""edXML (QCVN 102:2016/BTTTT) messages as files: the only package that parses or writes their XML (defusedxml)."""
