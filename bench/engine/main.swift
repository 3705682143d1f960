import MaplEngine
print("bench")
