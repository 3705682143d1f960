import MaplEngine
print("mapl: the language and notebook are not built yet")
