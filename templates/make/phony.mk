{{path}} :
