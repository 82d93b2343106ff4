# Symlinks (a top-level source symlink is followed; links inside a copied directory stay links), ignored files.
ln -s a.txt link.txt
mkdir links && ln -s ../a.txt links/up && ln -s /etc/passwd links/abs && ln -s missing links/dangling
echo secret > secret.txt && echo t > dir/x.tmp && echo keep > keep.tmp
chmod 600 b.txt && chmod 711 dir/nested
