// The domain types (Parley.Domain) carry only Orleans' serialization attributes; their serializers are generated here.
[assembly: GenerateCodeForDeclaringAssembly(typeof(Parley.Domain.Decision))]
